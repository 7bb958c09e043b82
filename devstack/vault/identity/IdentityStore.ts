import { randomBytes, randomUUID } from "node:crypto";

/** An entity alias: one identity at one auth mount, with the metadata templating reads. */
export interface EntityAlias {
  id: string;
  name: string;
  mountAccessor: string;
  mountType: string;
  mountPath: string;
  metadata: Record<string, string>;
}

/** An identity entity (vault/identity_store.go): an id, a generated name and its aliases. */
export interface Entity {
  id: string;
  name: string;
  metadata: Record<string, string>;
  aliases: EntityAlias[];
}

/** In-memory identity store: one entity per (mount accessor, alias name), created on first login. */
export class IdentityStore {
  private readonly entities = new Map<string, Entity>();
  private readonly aliasIndex = new Map<string, string>();

  /** Finds or creates the entity for an alias and refreshes the alias metadata, as a login does. */
  upsertAlias(alias: Omit<EntityAlias, "id">): Entity {
    const key = `${alias.mountAccessor}\u0000${alias.name}`;
    const existingId = this.aliasIndex.get(key);
    if (existingId) {
      const entity = this.entities.get(existingId)!;
      const current = entity.aliases.find((a) => a.mountAccessor === alias.mountAccessor && a.name === alias.name)!;
      current.metadata = { ...alias.metadata };
      return entity;
    }
    const entity: Entity = {
      id: randomUUID(),
      name: `entity_${randomBytes(4).toString("hex")}`,
      metadata: {},
      aliases: [{ ...alias, id: randomUUID(), metadata: { ...alias.metadata } }],
    };
    this.entities.set(entity.id, entity);
    this.aliasIndex.set(key, entity.id);
    return entity;
  }

  /** The entity with this id, if any. */
  get(id: string): Entity | undefined {
    return id ? this.entities.get(id) : undefined;
  }
}
