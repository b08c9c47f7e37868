console.error("llm-gateway: the CLI is being written"); process.exit(2);
