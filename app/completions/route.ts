// An API call beside /api/v1 (a base URL without /api): a JSON answer saying where the API is.
export { DELETE, GET, PATCH, POST, PUT } from "../api/v1/[...path]/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
