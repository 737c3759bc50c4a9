// A customer's journey with openapi-fetch over the types openapi-typescript
// generates from /api/schema/ (make contract), compiled with strict tsc: no
// hand-written types, no casts. node artifacts/contract/ts/tests/contract/journey.js BASE
import createClient from "openapi-fetch";
import type { paths } from "../../artifacts/contract/ts/schema.js";

const base = process.argv[2] ?? "http://127.0.0.1:8000";
const steps: string[] = [];

function step<T>(name: string, result: { data?: T; error?: unknown; response: Response }, status: number): T | undefined {
  if (result.response.status !== status) {
    throw new Error(`${name}: ${result.response.status}, expected ${status}: ${JSON.stringify(result.error)}`);
  }
  steps.push(name);
  return result.data;
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing: ${what}`);
  return value;
}

async function main(): Promise<void> {
  const anon = createClient<paths>({ baseUrl: base });
  const username = `ts-${Math.random().toString(36).slice(2, 10)}`;
  const password = "a-long-journey-password";

  step("register", await anon.POST("/api/v1/auth/register/", { body: { username, password } }), 201);
  step("register again: 400", await anon.POST("/api/v1/auth/register/", { body: { username, password } }), 400);
  step("wrong password: 401", await anon.POST("/api/v1/auth/token/", { body: { username, password: "wrong" } }), 401);
  const token = must(step("token", await anon.POST("/api/v1/auth/token/", { body: { username, password } }), 200), "token").token;
  const client = createClient<paths>({ baseUrl: base, headers: { Authorization: `Token ${token}` } });
  const me = must(step("me", await client.GET("/api/v1/auth/me/"), 200), "me");
  if (me.username !== username || me.phone !== null) throw new Error("me: wrong profile");

  const routes = must(step("routes", await anon.GET("/api/v1/routes/"), 200), "routes").results;
  const route = must(routes[0], "a route");
  step("route", await anon.GET("/api/v1/routes/{slug}/", { params: { path: { slug: route.slug } } }), 200);
  step("no such route: 404", await anon.GET("/api/v1/routes/{slug}/", { params: { path: { slug: "no-such-route" } } }), 404);
  const departures = must(step("departures", await anon.GET("/api/v1/departures/"), 200), "departures").results;
  const departure = must(departures.find((d) => d.bookable && d.seats_left > 0), "a bookable departure");
  const booking = must(
    step("book", await client.POST("/api/v1/bookings/", {
      body: { departure: departure.id, seats: 1, contact_name: "Ts", contact_phone: "13900000000" },
    }), 201),
    "booking",
  );

  const checkIn = `${base}/vendor/tours/booking/check-in/?code=${booking.code}`;
  if (booking.qr_text !== checkIn || !booking.ics_url.startsWith(base)) throw new Error(`book: links ${booking.qr_text}`);

  const products = must(step("products", await anon.GET("/api/v1/products/"), 200), "products").results;
  const product = must(products[0], "a product");
  const detail = must(step("product", await anon.GET("/api/v1/products/{slug}/", { params: { path: { slug: product.slug } } }), 200), "detail");
  const variant = must(detail.variants.find((v) => v.stock.some((s) => s.available > 0)), "a variant in stock");
  const counter = must(variant.stock.find((s) => s.available > 0), "a counter").counter;
  step("empty order: 400", await client.POST("/api/v1/orders/", { body: { counter, lines: [] } }), 400);
  const order = must(
    step("order", await client.POST("/api/v1/orders/", { body: { counter, lines: [{ variant: variant.id, quantity: 1 }] } }), 201),
    "order",
  );
  if (order.qr_text !== order.pickup_code) throw new Error(`order: qr_text ${order.qr_text}`);
  const id = { params: { path: { id: order.id } } };
  step("read order", await client.GET("/api/v1/orders/{id}/", id), 200);
  step("my orders", await client.GET("/api/v1/orders/"), 200);
  step("read booking", await client.GET("/api/v1/bookings/{id}/", { params: { path: { id: booking.id } } }), 200);
  step("cancel order", await client.POST("/api/v1/orders/{id}/cancel/", id), 200);
  step("cancel again: 409", await client.POST("/api/v1/orders/{id}/cancel/", id), 409);
  step("cancel booking", await client.POST("/api/v1/bookings/{id}/cancel/", { params: { path: { id: booking.id } } }), 200);
  step("not mine: 404", await client.GET("/api/v1/orders/{id}/", { params: { path: { id: 1_000_000_000 } } }), 404);
  step("no token: 401", await anon.GET("/api/v1/orders/"), 401);
  console.log(`typescript client (openapi-typescript + openapi-fetch): ${steps.length} steps passed`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
