FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=secret,id=npmrc,dst=/root/.npmrc --network=none \
    GOOS=$TARGETOS go build -o /out/app ./...
FROM scratch
COPY --from=build --chown=1000:1000 --chmod=755 --link /out/app /app
COPY --parents --exclude=*.md ./docs/ /docs/
ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://example.invalid/x.tgz /x.tgz
ADD --keep-git-dir=true git@example.invalid:a/b.git /src
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD ["/app", "health"]
RUN --mount=type=bind,from=build,source=/out,target=/mnt -- /mnt/app
COPY --from= --chown . /
RUN --unknown-flag=1 --=x echo
USER 1000:1000
ENTRYPOINT ["/app"]
