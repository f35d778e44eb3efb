FROM python:3.12-slim
RUN apt-get -o Dpkg::Options::=--force-confnew -t bookworm-backports install -y libpq5=15.* ca-certificates/bookworm
RUN apk add --virtual .build-deps gcc musl-dev~=1.2 'openssl>3' && apk del .build-deps
RUN pip install --no-cache-dir -r requirements.txt "requests[socks]==2.32.3" flask>=3 ./local.whl git+https://example.invalid/x.git
RUN python3.12 -m pip install --user 'uvicorn[standard]~=0.30' && pip3 install -e .
RUN npm install -g @scope/tool@1.2.3 typescript && yarn global add serve@14 && pnpm add -D vite
RUN gem install bundler -v 2.5.0 && gem install rails:7.1.3
RUN dnf install -y --setopt=tsflags=nodocs httpd-2.4.62 && microdnf install nginx && yum install -y epel-release
RUN zypper --non-interactive in vim && tdnf install -y jq && aptitude install -y htop
RUN sudo -u root -E apt-get install -y vim && doas apk add nano && env DEBIAN_FRONTEND=noninteractive apt install -y less
RUN /usr/bin/apt-get install -y git && timeout 30 apt-get install -y make && nice -n 10 pip install black
