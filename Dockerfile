# Multi-stage build: compile in the Rust image, run as a non-root user in a slim one.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
# The build settings (.cargo/config.toml: how the bundled SQLite is compiled) and the
# benchmark sources the manifest names (cargo refuses a manifest whose targets are missing).
COPY .cargo .cargo
COPY benches benches
COPY src src
COPY assets assets
COPY data data
COPY migrations migrations
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --create-home linimasa \
 && printf '#!/bin/sh\nexec curl -fsS http://127.0.0.1:8080/readyz >/dev/null\n' > /usr/local/bin/linimasa-healthcheck \
 && chmod +x /usr/local/bin/linimasa-healthcheck
COPY --from=build /src/target/release/linimasa /usr/local/bin/linimasa
USER linimasa
WORKDIR /data
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/linimasa"]
CMD ["serve", "--bind", "0.0.0.0:8080"]
