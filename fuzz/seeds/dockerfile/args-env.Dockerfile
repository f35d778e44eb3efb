ARG BASE=alpine
ARG TAG
FROM ${BASE}:${TAG:-3.20} AS base
ARG BASE
ENV PATH=/opt/bin:$PATH HOME="/home/app" EMPTY=
ENV OLD_STYLE value with spaces
ENV NESTED=${PATH}:${UNDEFINED:+set}:${BASE:-x}:${HOME#/}:${HOME/a/b}
LABEL "quoted key"="v" key2='single $NOT'
ARG USER_ID=1001
USER ${USER_ID}:${GROUP_ID:-0}
WORKDIR $HOME/app
EXPOSE ${PORT:-8080}/tcp 9000-9010/udp 53
ENV \$ESCAPED=1 A=$
FROM base
ARG
ENV
