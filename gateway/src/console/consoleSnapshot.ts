/**
 * What a rep's console loads first: the streams in priority order and the visitors this
 * rep may see. Live updates then arrive as sequence-numbered deltas on top of it.
 */
import type { LocalOrg } from '../crm/localOrg/localOrg';
import { streamFromRecord } from '../crm/routingRecords';
import type { StreamSummary } from '../contracts/liveContract';

export function activeStreams(org: LocalOrg): StreamSummary[] {
    return org
        .find('Live_Stream__c', { Active__c: true }, { orderBy: 'Priority__c' })
        .map(streamFromRecord)
        .map(({ id, name, color, priority }) => ({ id, name, color, priority }));
}
