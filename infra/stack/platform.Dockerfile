# slipway/platform: the control plane (every service and the gateway, run-platform.js) as an image,
# for the Swarm stack (docs/swarm-stack.md). FROM the local node:24 stand-in (infra/scripts/images.sh).
# Build context (assembled by infra/scripts/stack.sh build): app/ with dist/ (compiled), web/dist
# (the console), the run-time node_modules (infra/stack/runtime-modules.cjs), package.json,
# infra/platform/run-service.sh and infra/stack/platform-entrypoint.sh.
FROM node:24-bookworm-slim
COPY app/ /opt/slipway/
WORKDIR /opt/slipway
# GATEWAY_HOST: the console and API listen on the task's addresses, not only its loopback.
ENV SLIPWAY_DATA_DIR=/var/lib/slipway NODE_ENV=production GATEWAY_HOST=0.0.0.0 GATEWAY_PORT=4000
EXPOSE 4000
ENTRYPOINT ["/opt/slipway/infra/stack/platform-entrypoint.sh"]
CMD ["all"]
