# slipway/nats, slipway/ferretdb, slipway/registry: one Go server each, FROM scratch, for the Swarm
# stack (docs/swarm-stack.md). Build context (assembled by infra/scripts/stack.sh build): rootfs/
# with the server's binary and the libraries `ldd` lists for it (at the same paths), static busybox
# as /bin/sh (entrypoints and health checks), the Mozilla CA bundle, /tmp (1777), and
# /usr/local/bin/entrypoint.sh.
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin:/bin HOME=/tmp
ENTRYPOINT ["/bin/sh", "/usr/local/bin/entrypoint.sh"]
