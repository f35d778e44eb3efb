FROM node:20-alpine
CMD ["sh", "-c", "npm install -g pm2 && pm2-runtime app.js"]
ENTRYPOINT ["/sbin/tini", "--", "node"]
RUN ["apt-get", "install", "-y", "curl"]
CMD ["unterminated", "json"
CMD ["trailing",]
CMD ["escaped \" quote", "\u00e9", "\\"]
CMD []
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN set -o pipefail && curl -s x | bash
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
