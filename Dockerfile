# syntax=docker/dockerfile:1
# cct's own image: a static binary (musl) in an empty (scratch) image, run as a numeric
# non-root user; cct reads files and never the network, so it needs nothing else.
#   docker build -t cct .
#   docker run --rm -v "$PWD:/src" cct check .
# The `ci` target adds a shell (BusyBox), as GitLab CI jobs need one:
# `docker build --target ci -t cct:ci .` (see templates/cct.gitlab-ci.yml).

FROM docker.io/library/rust:1.95.0-slim-bookworm AS build
WORKDIR /build
# musl-tools: musl-gcc, to build the C allocator (mimalloc) against musl.
RUN apt-get update && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/* \
    && rustup target add x86_64-unknown-linux-musl
COPY . .
RUN cargo build --release --locked --target x86_64-unknown-linux-musl -p cct \
    && cp target/x86_64-unknown-linux-musl/release/cct /cct

FROM docker.io/library/busybox:1.37.0-musl AS ci
COPY --from=build /cct /usr/local/bin/cct
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/cct"]
CMD ["--help"]

FROM scratch
COPY --from=build /cct /usr/local/bin/cct
USER 65532:65532
WORKDIR /src
# A command-line tool, not a service: healthy when the binary runs.
HEALTHCHECK --interval=60s --timeout=5s CMD ["/usr/local/bin/cct", "--version"]
ENTRYPOINT ["/usr/local/bin/cct"]
CMD ["check", "."]
