import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the client on :5173 and hands the API to a hub on :8080
// (`cargo run` at the top of the repository), so the app calls its own origin as in production.
const hub = process.env.KHUB_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    // GraphiQL (the playground entry) is one large chunk by nature; the app itself is small.
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      input: { app: "index.html", playground: "playground.html" },
    },
  },
  css: {
    preprocessorOptions: {
      scss: { quietDeps: true, silenceDeprecations: ["import", "global-builtin"] },
    },
  },
  server: {
    proxy: {
      "/graphql": { target: hub, ws: true, changeOrigin: true },
      "/feeds": { target: hub, changeOrigin: true },
    },
  },
});
