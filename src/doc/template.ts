/**
 * The skeleton of a new canonical schema document, as `dbcanon init` writes it before `doc sync` fills in one
 * entry per table: the sections the rules read (production tables, deprecated, adding a new table, change
 * log) and nothing of any one project.
 */
export const DOC_TEMPLATE = `# Database schema

The canonical description of this project's database: every table, what it is for, who uses it and its SQL.
\`dbcanon check\` holds the migrations and the code to it.

## Critical rules

1. Check this document before creating a table: the table you need may exist.
2. Tables and columns are \`snake_case\`.
3. Change the schema with a migration, and this document in the same commit (\`dbcanon doc sync\` writes the SQL).

## Production tables

## Deprecated tables

No table is deprecated.

## Adding a new table

- Write the migration (\`dbcanon migrate new NAME\`)
- Run \`dbcanon doc sync\`, then say the table's purpose and who uses it
- Commit the migration and this document together

## Change log

| Date | Change | Author |
|------|--------|--------|
`;
