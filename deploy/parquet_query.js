// Runs one SQL query with DuckDB over the Parquet files spreadbus writes and
// prints the rows as a table (or JSON lines with --json); uses the DuckDB
// that `make deps` installs for the writer's tests.
'use strict';
const path = require('path');
const { DuckDBInstance } = require(path.join(__dirname, '..', 'tests', 'parquet_readers', 'node_modules', '@duckdb', 'node-api'));

async function main() {
	const json = process.argv[2] === '--json';
	const sql = process.argv[json ? 3 : 2];
	if (!sql) {
		console.error('usage: node deploy/parquet_query.js [--json] "SELECT ... FROM read_parquet(\'build/demo/data/quotes/**/*.parquet\')"');
		process.exit(2);
	}
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	const reader = await conn.runAndReadAll(sql);
	const plain = (v) => (typeof v === 'bigint' ? Number(v) : v);
	const rows = reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
	if (json)
		rows.forEach((r) => console.log(JSON.stringify(r)));
	else
		console.table(rows);
}

main().catch((e) => {
	console.error(`parquet_query: ${e.message}`);
	process.exit(1);
});
