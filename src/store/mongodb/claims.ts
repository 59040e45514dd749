/** Exactly-once work (digests, retro prompts): one claim per key, the key being the document's unique `_id`. */
import type { ClaimResult } from '../../core/ports';
import type { Db } from './context';
import { guard, isDuplicateKey } from './errors';
import { str, trusted } from './mapping';

export async function claim(db: Db, key: string, owner: string, now: string, leaseUntil: string): Promise<ClaimResult> {
  const { Claim } = db.m;
  return guard(async () => {
    const _id = str(key);
    const claimant = { owner: str(owner), claimedAt: str(now), leaseUntil: str(leaseUntil) };
    for (;;) {
      try {
        // The unique _id lets exactly one of any number of racing instances insert it.
        await Claim.insertMany([{ _id, ...claimant, doneAt: null, attempts: 1 }]);
        return { won: true, attempt: 1, done: false, leaseUntil: claimant.leaseUntil };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Held already: it can be taken over only when its lease ran out and the work was never done.
      const taken = await Claim.findOneAndUpdate(
        { _id, doneAt: null, leaseUntil: trusted({ $lt: claimant.claimedAt }) },
        { $set: claimant, $inc: { attempts: 1 } },
        { returnDocument: 'after', projection: { attempts: 1 } },
      ).lean().exec();
      if (taken) return { won: true, attempt: taken.attempts, done: false, leaseUntil: claimant.leaseUntil };
      const held = await Claim.findOne({ _id }, { attempts: 1, doneAt: 1, leaseUntil: 1 }).lean().exec();
      if (held) return { won: false, attempt: held.attempts ?? 1, done: held.doneAt != null, leaseUntil: held.leaseUntil };
      // Removed in between (by hand): claim it afresh.
    }
  });
}

export async function completeClaim(db: Db, key: string, owner: string, at: string): Promise<void> {
  await guard(() => db.m.Claim.updateOne(
    { _id: str(key), owner: str(owner), doneAt: null },
    { $set: { doneAt: str(at) } },
  ).exec());
}
