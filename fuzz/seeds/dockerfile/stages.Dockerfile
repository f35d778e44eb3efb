FROM alpine:3.20 AS deps
ONBUILD RUN apk add --no-cache curl
ONBUILD ONBUILD USER root
FROM deps AS build
RUN echo build
FROM build
COPY --from=0 /etc/passwd /tmp/
COPY --from=deps /x /y
COPY --from=nginx:1.27@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa /etc/nginx /etc/nginx
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp
STOPSIGNAL SIGTERM
MAINTAINER someone <a@example.invalid>
USER root
HEALTHCHECK NONE
FROM registry.example.invalid:5000/team/img:1.0@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
FROM scratch AS final
USER 65534
