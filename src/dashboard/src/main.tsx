import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import "./index.css";
import { App } from "./App";
import { Providers } from "./Providers";
import { createGatewayTransport } from "./lib/transport";
import { createQueryClient } from "./lib/query";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Providers transport={createGatewayTransport()} queryClient={createQueryClient()}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </Providers>
  </StrictMode>,
);
