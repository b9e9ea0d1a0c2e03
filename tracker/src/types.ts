/**
 * The wire types the tracker speaks, taken from the gateway's contract (one source). Only
 * types are imported: no validation library ships to websites.
 */
export type {
    BookerSlots,
    BookMeetingRequestInput,
    CollectRequestInput,
    CollectResponse,
    GatewayToVisitor,
    TrackerEventInput,
    VisitorChatState,
    VisitorSocketMessageInput
} from '../../gateway/src/contracts/visitorProtocol';

/** What the core tracker hands the lazily loaded chat chunk. */
export interface ChatHost {
    gateway: string;
    siteKey: string;
    ids(): { visitorId: string; sessionId: string };
    /** Queues a chat-request event and flushes at once; the answer arrives through onChat. */
    requestChat(message: string): void;
    /** Chat states from collect responses; called at once with the last known state. */
    onChat(
        listener: (
            chat: import('../../gateway/src/contracts/visitorProtocol').VisitorChatState
        ) => void
    ): void;
    /** Opens the panel (the site's `sightline('chat')`). */
    open?: () => void;
}
