# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# dist/ (compiled JavaScript) and .adminjs/bundle.js (the panel's components, bundled once).
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production ADMIN_JS_SKIP_BUNDLE=true PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/.adminjs ./.adminjs
COPY package.json ./
RUN useradd --system --uid 10001 loopin && chown -R loopin /app/.adminjs
USER loopin
EXPOSE 3000
# DATABASE_URL is required in the container: production never starts an embedded database.
# One-off commands run the compiled entries too: `node dist/src/db/cli.js status`, `node dist/jobs/run.js <job>`.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
