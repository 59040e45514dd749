/** Teams conversation references for proactive posts, one per place. */
import type { ConversationRefDoc } from '../../../models';
import type { Place } from '../../core/model';
import type { ConversationRef } from '../../../adapters/teams/ports';
import type { Db } from './context';
import { guard, retryOnDuplicate } from './errors';
import { placeFilter, toConversationRef } from './mapping';

export async function saveConversationRef(db: Db, ref: ConversationRef): Promise<void> {
  await guard(() => retryOnDuplicate(() => db.m.ConversationRef.updateOne(
    placeFilter(ref.place),
    { $set: { reference: ref.reference, updatedAt: ref.updatedAt } },
    { upsert: true },
  ).exec()));
}

export async function getConversationRef(db: Db, place: Place): Promise<ConversationRef | null> {
  return guard(async () => {
    const d = await db.m.ConversationRef.findOne(placeFilter(place)).lean<ConversationRefDoc>().exec();
    return d ? toConversationRef(d) : null;
  });
}

export async function listConversationRefs(db: Db): Promise<ConversationRef[]> {
  return guard(async () => {
    const docs = await db.m.ConversationRef.find({})
      .sort({ 'place.platform': 1, 'place.workspace': 1, 'place.channel': 1 }).lean<ConversationRefDoc[]>().exec();
    return docs.map(toConversationRef);
  });
}
