FROM alpine
RUN echo crlf \
  && echo next
USER 1000
