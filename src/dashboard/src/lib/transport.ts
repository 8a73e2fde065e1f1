import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { bearerInterceptor } from "./auth";

/** gRPC-Web to the page's own origin: the gateway serves the dashboard and the API on one
 * port, so there is no CORS (in development Vite proxies the calls to `tools/up`). */
export function createGatewayTransport(baseUrl = window.location.origin) {
  return createGrpcWebTransport({ baseUrl, interceptors: [bearerInterceptor] });
}
