# only a comment, then broken lines
FRUM alpine
FROM
RUN
COPY onlyone
EXPOSE notaport 70000/tcp -1
USER :
HEALTHCHECK --interval=bogus
ONBUILD
ONBUILD FROM x
RUN <<EOF
never terminated
