/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { fileURLToPath } from "node:url";

const sdk = fileURLToPath(new URL("../../sdk/typescript/gen", import.meta.url));
// Where `vite` (the dev server) sends API calls: a running `tools/up` (or WAGATE_HTTP_PORT).
const gateway = process.env.WAGATE_GATEWAY ?? `http://127.0.0.1:${process.env.WAGATE_HTTP_PORT ?? "8080"}`;

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    // The generated SDK lives outside this package: import it as "@sdk/...", and make its
    // imports of the runtime resolve to this package's single copy.
    alias: { "@sdk": sdk },
    dedupe: ["@bufbuild/protobuf", "@connectrpc/connect"],
  },
  server: {
    fs: { allow: [fileURLToPath(new URL("../..", import.meta.url))] },
    proxy: {
      // gRPC-Web paths are /<package>.<Service>/<Method>.
      "^/wagate\\.": { target: gateway, changeOrigin: false },
      "/v1": gateway,
      "/openapi": gateway,
    },
  },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
