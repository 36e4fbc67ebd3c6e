import type { Ctx } from "./context.js";

/**
 * Takes the lock when it is free or expired, or renews it when this owner already holds it — one
 * upsert whose conflict branch only fires for those two cases, so it returns a row only on success.
 */
export async function tryLock(
  ctx: Ctx,
  name: string,
  owner: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const row = await ctx.db
    .insertInto("locks")
    .values({ name, owner, expires_at: now + ttlMs, acquired_at: now })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet((eb) => ({
          owner: eb.ref("excluded.owner"),
          expires_at: eb.ref("excluded.expires_at"),
          acquired_at: eb
            .case()
            .when("locks.owner", "=", owner)
            .then(eb.ref("locks.acquired_at"))
            .else(eb.ref("excluded.acquired_at"))
            .end(),
        }))
        .where((eb) => eb.or([eb("locks.owner", "=", owner), eb("locks.expires_at", "<=", now)])),
    )
    .returning("name")
    .executeTakeFirst();
  return row !== undefined;
}

export async function unlock(ctx: Ctx, name: string, owner: string): Promise<void> {
  await ctx.db.deleteFrom("locks").where("name", "=", name).where("owner", "=", owner).execute();
}

/** Who holds a lock that has not expired, and until when; undefined when it is free. */
export async function lockHolder(
  ctx: Ctx,
  name: string,
  now: number,
): Promise<{ owner: string; expiresAt: number } | undefined> {
  const row = await ctx.db
    .selectFrom("locks")
    .select(["owner", "expires_at"])
    .where("name", "=", name)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row && { owner: row.owner, expiresAt: Number(row.expires_at) };
}
