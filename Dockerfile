# Multi-stage build: compile in the Rust image, run as a non-root user in a slim one.
FROM rust:1.85-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY data data
COPY migrations migrations
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home /data linimasa && mkdir -p /data && chown linimasa /data \
 && apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/* \
 && printf '#!/bin/sh\nexec curl -fsS http://127.0.0.1:8080/readyz >/dev/null\n' > /usr/local/bin/linimasa-healthcheck \
 && chmod +x /usr/local/bin/linimasa-healthcheck
COPY --from=build /src/target/release/linimasa /usr/local/bin/linimasa
USER linimasa
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/linimasa"]
CMD ["serve", "--bind", "0.0.0.0:8080"]
