/**
 * Any constant shared by every instance: the key of the PostgreSQL advisory lock held while the
 * schema is made or changed, by TypeORM's migrations (migrator.ts) or a command's recording
 * (command-database.ts). Apart from both so that the command need not import TypeORM for it.
 */
export const MIGRATION_LOCK_KEY = 7_146_239_001;
