import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { appRole, systemRole } from "./migrations/tenant-wall";
import { currentTenantScope, systemScope } from "./tenant-scope";

/** Whether the store's statements run as the roles of migration 0010 (once it has created and granted them). */
export interface RoleMode {
  appRole: boolean;
}

/**
 * PostgreSQL's dialect with the second wall: before each statement, the connection is made to run
 * as the application role `kith_app` (no superuser, no BYPASSRLS, not the tables' owner, so the
 * row policies of migration 0010 bind it) with `kith.tenant` set to the calling chain's tenant
 * scope (`tenant-scope.ts`; empty outside any scope: no tenant's rows), or as `kith_system` in
 * the named cross-tenant scope, or as the connecting owner for migrations.
 *
 * Both are session settings, checked before every statement against what this connection last
 * applied, so a pooled connection never carries one caller's tenant into the next caller's
 * statement: the next statement sets its own first. Only a change costs a round trip (a
 * transaction for one tenant pays it once). A rollback undoes settings made inside the
 * transaction, so after one the connection's settings count as unknown and are applied again.
 */
export class TenantScopedPostgresDialect extends PostgresDialect {
  readonly #mode: RoleMode;

  constructor(config: ConstructorParameters<typeof PostgresDialect>[0], mode: RoleMode) {
    super(config);
    this.#mode = mode;
  }

  override createDriver(): Driver {
    return new TenantScopedDriver(super.createDriver(), this.#mode);
  }
}

interface Applied {
  role: string;
  tenant: string;
}

class TenantScopedDriver implements Driver {
  readonly #inner: Driver;
  readonly #mode: RoleMode;
  readonly #wrappers = new WeakMap<DatabaseConnection, ScopedConnection>();

  constructor(inner: Driver, mode: RoleMode) {
    this.#inner = inner;
    this.#mode = mode;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    let wrapper = this.#wrappers.get(connection);
    if (!wrapper) {
      wrapper = new ScopedConnection(connection, this.#mode);
      this.#wrappers.set(connection, wrapper);
    }
    return wrapper;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(unwrap(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(unwrap(connection));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    forget(connection);
    await this.#inner.rollbackTransaction(unwrap(connection));
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#inner.savepoint?.(unwrap(connection), name, compileQuery);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    forget(connection);
    await this.#inner.rollbackToSavepoint?.(unwrap(connection), name, compileQuery);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#inner.releaseSavepoint?.(unwrap(connection), name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

const unwrap = (connection: DatabaseConnection) =>
  connection instanceof ScopedConnection ? connection.inner : connection;

const forget = (connection: DatabaseConnection) => {
  if (connection instanceof ScopedConnection) connection.applied = null;
};

class ScopedConnection implements DatabaseConnection {
  applied: Applied | null = null;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly mode: RoleMode,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    await this.apply();
    return this.inner.executeQuery<R>(compiledQuery);
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    await this.apply();
    yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }

  private async apply(): Promise<void> {
    const scope = currentTenantScope();
    const role =
      !this.mode.appRole || scope?.owner ? "none" : scope?.tenant === systemScope ? systemRole : appRole;
    const tenant = scope?.tenant ?? "";
    if (this.applied?.role === role && this.applied.tenant === tenant) return;
    this.applied = null;
    await this.inner.executeQuery(
      CompiledQuery.raw("select set_config('role', $1, false), set_config('kith.tenant', $2, false)", [
        role,
        tenant,
      ]),
    );
    this.applied = { role, tenant };
  }
}
