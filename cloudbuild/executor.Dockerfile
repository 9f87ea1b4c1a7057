# The kaniko-ts executor image, from scratch: the self-contained tree that `npm run bundle -- --out
# DIR --debug` writes (DIR/kaniko, DIR/busybox) is the context. Built by kaniko-ts itself
# (cloudbuild/cloudbuild.yaml); the config matches scripts/bundle/layout.ts (a test checks it).
#   --target=executor   kaniko's layout: /kaniko/executor, /kaniko/.docker, /kaniko/ssl/certs, /workspace
#   --target=debug      the same plus a busybox shell at /busybox, for `entrypoint: [""]` users

FROM scratch AS executor
COPY kaniko/ /kaniko/
ENV PATH=/usr/local/bin:/kaniko
ENV HOME=/root
ENV USER=root
ENV SSL_CERT_DIR=/kaniko/ssl/certs
ENV DOCKER_CONFIG=/kaniko/.docker/
WORKDIR /workspace
ENTRYPOINT ["/kaniko/executor"]

FROM executor AS debug
COPY busybox/ /busybox/
ENV PATH=/usr/local/bin:/kaniko:/busybox
