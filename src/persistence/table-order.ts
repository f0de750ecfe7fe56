import type { DataSource } from 'typeorm';

/**
 * The data source's tables, parents before children: a depth-first walk of each table's
 * foreign keys (TypeORM's metadata of the entity schemas), so every key holds as rows
 * arrive. Ties keep the registry's order. A cycle could not be copied row by row: refused.
 */
export function tablesParentsFirst(dataSource: DataSource): string[] {
  const parents = new Map(dataSource.entityMetadatas.map((m) => [m.tableName, m.foreignKeys.map((key) => key.referencedEntityMetadata.tableName)]));
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table)) return;
    if (visiting.has(table)) throw new Error(`The foreign keys of ${[...visiting].join(', ')} form a cycle: no copy order lets each row's parent arrive first.`);
    visiting.add(table);
    for (const parent of parents.get(table) ?? []) if (parent !== table) visit(parent);
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of parents.keys()) visit(table);
  return ordered;
}
