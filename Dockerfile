# One image for every app of the stack; the app is chosen with APP (gateway, ca-service,
# token-service, ipam-service, node-service), see docker-compose.yml.
# The base is pinned to the Node release the project runs on (package.json "engines").

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
# Tests and benchmarks are not copied; their compiled specs are dropped from the output.
# The dashboard's page is bundled from node_modules (no CDN), beside the compiled gateway.
RUN npx tsc -p tsconfig.build.json \
 && node scripts/build-dashboard.mjs \
 && find dist -name '*.spec.js' -delete \
 && find dist -name '*.spec.js.map' -delete \
 && rm -f dist/.tsbuildinfo

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /src/dist ./dist
# The code stays owned by root; the app runs as the image's unprivileged user.
USER node
# The gateway serves the Engine API on every interface of the container only with TLS and client
# certificates: mount ca.pem, cert.pem and key.pem (`npm run certs`) at /run/swarmplane/engine-tls.
ENV APP=gateway \
    GATEWAY_ADDR=0.0.0.0:2375 \
    GATEWAY_TLS_CERT_PATH=/run/swarmplane/engine-tls \
    READY_FILE=/tmp/swarmplane-ready
# 2375: Engine API (gateway, TLS); 2377: swarm port (gateway, once a swarm is initialised).
EXPOSE 2375 2377
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "dist/scripts/healthcheck.js"]
# exec: the app is PID 1 and receives SIGTERM from `docker stop` itself.
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/${APP}/src/main.js"]
