FROM alpine:3.20
RUN apk add --no-cache \
    # a comment inside the continuation
    curl \

    git=2.45.2-r0 \
  && rm -rf /var/cache/apk/*
ENV A=1 \
    B="two words" \
    C=three
LABEL org.opencontainers.image.title="x" \
      version="1.0"
RUN echo one \
