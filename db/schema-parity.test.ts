import { getTableConfig as pgTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as postgres from "./postgres/schema";
import * as sqlite from "./sqlite/schema";

interface Shape {
  name: string;
  columns: Record<string, { notNull: boolean; primary: boolean; unique: boolean; hasDefault: boolean }>;
  indexes: Record<string, { columns: string[]; unique: boolean }>;
  primaryKey: string[];
}

function shapeOf(config: ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>): Shape {
  const composite = config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name));
  const primaryKey = composite.length > 0 ? composite : config.columns.filter((column) => column.primary).map((column) => column.name);
  return {
    name: config.name,
    columns: Object.fromEntries(
      config.columns.map((column) => [
        column.name,
        {
          // A primary-key column is not null whether or not it says so.
          notNull: column.notNull || primaryKey.includes(column.name),
          primary: primaryKey.includes(column.name),
          unique: column.isUnique,
          hasDefault: column.hasDefault && !("generatedIdentity" in column && column.generatedIdentity) && !column.primary,
        },
      ]),
    ),
    indexes: Object.fromEntries(
      config.indexes.map((index) => [
        index.config.name,
        { columns: index.config.columns.map((column) => (column as { name: string }).name), unique: index.config.unique },
      ]),
    ),
    primaryKey,
  };
}

const sqliteTables = Object.values(sqlite).map((table) => shapeOf(sqliteTableConfig(table as SQLiteTable)));
const postgresTables = Object.values(postgres).map((table) => shapeOf(pgTableConfig(table as PgTable)));
const byName = (shapes: Shape[]) => Object.fromEntries(shapes.map((shape) => [shape.name, shape]));

describe("the two schema sets", () => {
  it("declare the same tables", () => {
    expect(postgresTables.map((table) => table.name).sort()).toEqual(sqliteTables.map((table) => table.name).sort());
  });

  it.each(sqliteTables.map((table) => table.name))("declare the same columns and indexes for %s", (name) => {
    const lite = byName(sqliteTables)[name]!;
    const pg = byName(postgresTables)[name]!;
    expect(pg.indexes).toEqual(lite.indexes);
    if (name === "audit_events") {
      // Partitioned by month on ts in PostgreSQL, whose primary key must then include ts.
      expect(lite.primaryKey).toEqual(["id"]);
      expect(pg.primaryKey).toEqual(["id", "ts"]);
      const withoutKey = (shape: Shape) => Object.fromEntries(Object.entries(shape.columns).map(([column, value]) => [column, { ...value, primary: false }]));
      expect(withoutKey(pg)).toEqual(withoutKey(lite));
      return;
    }
    expect(pg.primaryKey).toEqual(lite.primaryKey);
    expect(pg.columns).toEqual(lite.columns);
  });
});
