//! One error shape on the wire: RFC 9457 `application/problem+json`, naming the
//! parameter at fault and suggesting known names for a misspelt one. 5xx bodies never
//! carry internals; the cause is logged once, here.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::StoreError;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/invalid-parameter",
    "title": "Invalid parameter",
    "status": 400,
    "detail": "unknown region \"kurks\"",
    "parameter": "region",
    "suggestions": ["kursk"]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The query parameter at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Known values close to a misspelt one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid parameter {parameter}: {detail}")]
    InvalidParameter {
        parameter: String,
        detail: String,
        suggestions: Vec<String>,
    },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    #[error("request timed out")]
    Timeout,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database busy: {0}")]
    Busy(String),
    #[error("database read-only: {0}")]
    ReadOnly(String),
    #[error("database full: {0}")]
    StorageFull(String),
    #[error("statement timeout: {0}")]
    QueryTimeout(String),
    #[error("unstorable character: {0}")]
    Unstorable(String),
    #[error("query string too long")]
    UriTooLong,
    #[error("unsupported content encoding {0}")]
    UnsupportedEncoding(String),
    #[error("request body too slow")]
    BodyTimeout,
    #[error("request body unreadable: {0}")]
    BadBody(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn param(parameter: &str, detail: impl Into<String>) -> Self {
        ApiError::InvalidParameter {
            parameter: parameter.to_string(),
            detail: detail.into(),
            suggestions: Vec::new(),
        }
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable(_)
            | ApiError::Busy(_)
            | ApiError::ReadOnly(_)
            | ApiError::QueryTimeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Unstorable(_) => StatusCode::BAD_REQUEST,
            ApiError::UriTooLong => StatusCode::URI_TOO_LONG,
            ApiError::UnsupportedEncoding(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(&self) -> Problem {
        let status = self.status_code();
        let (kind, title, detail, parameter, suggestions) = match self {
            ApiError::InvalidParameter {
                parameter,
                detail,
                suggestions,
            } => {
                let detail = if suggestions.is_empty() {
                    detail.clone()
                } else {
                    format!("{detail}; did you mean {}?", suggestions.join(", "))
                };
                (
                    "invalid-parameter",
                    "Invalid parameter",
                    detail,
                    Some(parameter.clone()),
                    suggestions.clone(),
                )
            }
            ApiError::NotFound(what) => ("not-found", "Not found", what.clone(), None, vec![]),
            ApiError::Unauthorized(what) => {
                ("unauthorized", "Unauthorized", what.clone(), None, vec![])
            }
            ApiError::TooLarge(what) => {
                ("too-large", "Payload too large", what.clone(), None, vec![])
            }
            ApiError::UnsupportedMediaType => (
                "unsupported-media-type",
                "Unsupported media type",
                "send the body as application/json".to_string(),
                None,
                vec![],
            ),
            ApiError::MethodNotAllowed => (
                "method-not-allowed",
                "Method not allowed",
                "this resource does not support that method".to_string(),
                None,
                vec![],
            ),
            ApiError::RateLimited(wait) => (
                "rate-limited",
                "Too many requests",
                format!("this client has used its reads for now; try again in {wait} s"),
                None,
                vec![],
            ),
            ApiError::Timeout => (
                "timeout",
                "Request timed out",
                "the request took too long and was stopped; try again, or narrow the query"
                    .to_string(),
                None,
                vec![],
            ),
            ApiError::Unavailable(_) => (
                "unavailable",
                "Service unavailable",
                "the database is not reachable; try again shortly".to_string(),
                None,
                vec![],
            ),
            ApiError::Busy(_) => (
                "busy",
                "Service unavailable",
                "the database is busy; try again shortly".to_string(),
                None,
                vec![],
            ),
            ApiError::ReadOnly(_) => (
                "read-only",
                "Service unavailable",
                "the database is read-only just now, so nothing was stored; try again later"
                    .to_string(),
                None,
                vec![],
            ),
            ApiError::StorageFull(_) => (
                "storage-full",
                "Insufficient storage",
                "the database has no room left, so nothing was stored; the operator has been told"
                    .to_string(),
                None,
                vec![],
            ),
            ApiError::QueryTimeout(_) => (
                "statement-timeout",
                "Query took too long",
                "the query ran past the statement timeout and was stopped; narrow it or try again"
                    .to_string(),
                None,
                vec![],
            ),
            ApiError::Unstorable(_) => (
                "invalid-input",
                "Invalid input",
                "the request holds a character the database cannot store (NUL)".to_string(),
                None,
                vec![],
            ),
            ApiError::UriTooLong => (
                "uri-too-long",
                "Query string too long",
                format!(
                    "the query string is longer than {} bytes",
                    super::MAX_QUERY_BYTES
                ),
                Some("query".to_string()),
                vec![],
            ),
            ApiError::UnsupportedEncoding(coding) => (
                "unsupported-encoding",
                "Unsupported content encoding",
                format!(
                    "the body's Content-Encoding {coding:?} is not one this API decodes: send it as is, or gzip"
                ),
                None,
                vec![],
            ),
            ApiError::BodyTimeout => (
                "body-timeout",
                "Request timeout",
                "the request body did not arrive in time".to_string(),
                None,
                vec![],
            ),
            ApiError::BadBody(why) => (
                "invalid-body",
                "Invalid body",
                why.clone(),
                Some("body".to_string()),
                vec![],
            ),
            ApiError::Internal(_) => (
                "internal",
                "Internal server error",
                "something went wrong on our side; it has been logged".to_string(),
                None,
                vec![],
            ),
        };
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            parameter,
            suggestions,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let cause = e.to_string();
        match &e {
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed,
            ) => ApiError::Unavailable(cause),
            StoreError::Database(sqlx::Error::Database(db)) => {
                let sqlite = db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
                match db.code() {
                    Some(code) if sqlite => classify_sqlite(&code, cause),
                    Some(code) => classify_postgres(&code, cause),
                    None => ApiError::Internal(cause),
                }
            }
            StoreError::Sqlite { code, .. } => classify_sqlite(&code.to_string(), cause),
            _ => ApiError::Internal(cause),
        }
    }
}

/// What an SQLite (extended) result code means for the client.
fn classify_sqlite(code: &str, cause: String) -> ApiError {
    // The primary result code is the low byte of the extended one.
    match code.parse::<u32>().map(|n| n & 0xff) {
        Ok(5 | 6) => ApiError::Busy(cause), // SQLITE_BUSY, SQLITE_LOCKED
        Ok(8) => ApiError::ReadOnly(cause), // SQLITE_READONLY
        Ok(9) => ApiError::QueryTimeout(cause), // SQLITE_INTERRUPT
        Ok(13) => ApiError::StorageFull(cause), // SQLITE_FULL
        Ok(10 | 14) => ApiError::Unavailable(cause), // SQLITE_IOERR, SQLITE_CANTOPEN
        // The file was replaced by one without the schema: the database is not there.
        Ok(1) if cause.contains("no such table") => ApiError::Unavailable(cause),
        _ => ApiError::Internal(cause),
    }
}

/// What a PostgreSQL SQLSTATE means for the client.
fn classify_postgres(code: &str, cause: String) -> ApiError {
    match code {
        // Connection exceptions, shutdowns, too many connections: PostgreSQL went away.
        c if c.starts_with("08") || c.starts_with("57P") || c == "53300" => {
            ApiError::Unavailable(cause)
        }
        "57014" => ApiError::QueryTimeout(cause), // query_canceled (statement_timeout)
        "42P01" => ApiError::Unavailable(cause),  // undefined_table: the schema is gone
        "25006" => ApiError::ReadOnly(cause),     // read_only_sql_transaction
        "53100" => ApiError::StorageFull(cause),  // disk_full
        "55P03" | "40001" | "40P01" => ApiError::Busy(cause), // lock, serialization, deadlock
        "22021" | "22P05" => ApiError::Unstorable(cause), // NUL and untranslatable characters
        _ => ApiError::Internal(cause),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else if let ApiError::Unstorable(cause) = &self {
            tracing::warn!(error = %cause, "refused a value the database cannot store");
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let ApiError::UnsupportedEncoding(_) = &self {
            res.headers_mut()
                .insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        let retry = match &self {
            ApiError::RateLimited(wait) => Some(wait.to_string()),
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some("5".to_string()),
            _ => None,
        };
        if let Some(v) = retry.and_then(|r| HeaderValue::from_str(&r).ok()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}
