export { geminiCliAdapter } from "./gemini-cli/adapter";
