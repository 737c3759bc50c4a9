// A customer's journey with the client OpenAPI Generator's typescript-fetch
// generator writes from /api/schema/ (make contract): no hand edits of the
// generated code, no hand-written types, no casts. The generated code compiles
// under --strict (tsconfig.generated.json); this file under every check of
// tsconfig.json, against its declarations (tsconfig.generator.json).
// node artifacts/contract/journey_generator.js BASE: the compiled file sits two
// folders down from the root, as this one does, so the relative import holds.
import {
  AuthApi,
  Configuration,
  MarketplaceApi,
  ResponseError,
  ToursApi,
} from "../../artifacts/contract/generator-js/index.js";

const basePath = process.argv[2] ?? "http://127.0.0.1:8000";
const steps: string[] = [];

async function step<T>(name: string, call: () => Promise<T>): Promise<T> {
  const value = await call();
  steps.push(name);
  return value;
}

// An error path: the generated client throws ResponseError on any 4xx/5xx.
async function refused(name: string, status: number, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error: unknown) {
    if (error instanceof ResponseError && error.response.status === status) {
      const body: unknown = await error.response.json();
      if (typeof body !== "object" || body === null || !("detail" in body) || !("code" in body)) {
        throw new Error(`${name}: not the API's error format: ${JSON.stringify(body)}`);
      }
      steps.push(name);
      return;
    }
    throw error;
  }
  throw new Error(`${name}: succeeded, expected ${status}`);
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing: ${what}`);
  return value;
}

async function main(): Promise<void> {
  const anonymous = new Configuration({ basePath });
  const auth = new AuthApi(anonymous);
  const tours = new ToursApi(anonymous);
  const shop = new MarketplaceApi(anonymous);
  const username = `gen-${Math.random().toString(36).slice(2, 10)}`;
  const password = "a-long-generated-password";
  const credentials = { username, password };

  await step("register", () => auth.authRegisterCreate({ registerInputRequest: credentials }));
  await refused("register again: 400", 400, () => auth.authRegisterCreate({ registerInputRequest: credentials }));
  await refused("wrong password: 401", 401, () =>
    auth.authTokenCreate({ tokenInputRequest: { username, password: "wrong" } }),
  );
  const { token } = await step("token", () => auth.authTokenCreate({ tokenInputRequest: credentials }));
  const signedIn = new Configuration({ basePath, apiKey: `Token ${token}` });
  const me = await step("me", () => new AuthApi(signedIn).authMeRetrieve());
  if (me.username !== username) throw new Error("me: wrong profile");
  const myTours = new ToursApi(signedIn);
  const myShop = new MarketplaceApi(signedIn);

  const routes = (await step("routes", () => tours.routesList())).results;
  const route = must(routes[0], "a route");
  const detail = await step("route", () => tours.routesRetrieve({ slug: route.slug }));
  if (detail.slug !== route.slug) throw new Error("route: another slug");
  await refused("no such route: 404", 404, () => tours.routesRetrieve({ slug: "no-such-route" }));
  const departures = (await step("departures", () => tours.departuresList())).results;
  const departure = must(
    departures.find((d) => d.bookable && d.seatsLeft > 0),
    "a bookable departure",
  );
  if (!(departure.startsAt instanceof Date)) throw new Error("departures: starts_at is not a date");
  const booking = await step("book", () =>
    myTours.bookingsCreate({
      bookingInputRequest: {
        departure: departure.id,
        seats: 1,
        contactName: "Gen",
        contactPhone: "13900000001",
      },
    }),
  );
  const checkIn = `${basePath}/vendor/tours/booking/check-in/?code=${booking.code}`;
  if (booking.qrText !== checkIn || !booking.icsUrl.startsWith(basePath)) {
    throw new Error(`book: links ${booking.qrText} ${booking.icsUrl}`);
  }
  await refused("book nothing: 400", 400, () =>
    myTours.bookingsCreate({
      bookingInputRequest: { departure: departure.id, seats: 0, contactName: "Gen", contactPhone: "1" },
    }),
  );

  const products = (await step("products", () => shop.productsList())).results;
  const product = must(products[0], "a product");
  const productDetail = await step("product", () => shop.productsRetrieve({ slug: product.slug }));
  const variant = must(
    productDetail.variants.find((v) => v.stock.some((s) => s.available > 0)),
    "a variant in stock",
  );
  const counter = must(variant.stock.find((s) => s.available > 0), "a counter").counter;
  await refused("empty order: 400", 400, () =>
    myShop.ordersCreate({ orderInputRequest: { counter, lines: [] } }),
  );
  const order = await step("order", () =>
    myShop.ordersCreate({ orderInputRequest: { counter, lines: [{ variant: variant.id, quantity: 1 }] } }),
  );
  if (order.qrText !== order.pickupCode) throw new Error(`order: qrText ${order.qrText}`);
  const read = await step("read order", () => myShop.ordersRetrieve({ id: order.id }));
  if (read.pickupCode !== order.pickupCode) throw new Error("read order: another pickup code");
  const mine = await step("my orders", () => myShop.ordersList());
  if (!mine.results.some((o) => o.id === order.id)) throw new Error("my orders: the order is missing");
  const again = await step("read booking", () => myTours.bookingsRetrieve({ id: booking.id }));
  if (again.code !== booking.code) throw new Error("read booking: another code");
  const cancelled = await step("cancel order", () => myShop.ordersCancelCreate({ id: order.id }));
  if (cancelled.status !== "cancelled") throw new Error(`cancel order: ${cancelled.status}`);
  await refused("cancel again: 409", 409, () => myShop.ordersCancelCreate({ id: order.id }));
  await step("cancel booking", () => myTours.bookingsCancelCreate({ id: booking.id }));
  await refused("not mine: 404", 404, () => myShop.ordersRetrieve({ id: 1_000_000_000 }));
  await refused("no token: 401", 401, () => shop.ordersList());
  console.log(`typescript client (OpenAPI Generator typescript-fetch): ${steps.length} steps passed`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
