/**
 * The rep console: one column per stream, in the admin's priority order, holding the
 * visitors routed to the signed-in rep.
 */
import { LightningElement } from 'lwc';
import getSnapshot from '@salesforce/apex/SightlineGatewayController.getSnapshot';

interface StreamSummary {
    id: string;
    name: string;
    color: string;
    priority: number;
}

interface ConsoleSnapshot {
    streams: StreamSummary[];
    visitors: { id: string; streamId: string }[];
}

export default class SightlineConsole extends LightningElement {
    snapshot: ConsoleSnapshot | undefined;
    errorMessage: string | undefined;

    connectedCallback(): void {
        this.load();
    }

    get isLoading(): boolean {
        return !this.snapshot && !this.errorMessage;
    }

    get summary(): string {
        if (!this.snapshot) return 'Connecting…';
        const n = this.snapshot.visitors.length;
        return n === 1 ? '1 visitor routed to you' : `${n} visitors routed to you`;
    }

    get columns() {
        const visitors = this.snapshot?.visitors ?? [];
        return (this.snapshot?.streams ?? []).map((stream) => {
            const count = visitors.filter((v) => v.streamId === stream.id).length;
            return {
                ...stream,
                count,
                countLabel: `${count} visitors`,
                isEmpty: count === 0,
                headerStyle: `--stream-color: ${stream.color}`
            };
        });
    }

    private async load(): Promise<void> {
        try {
            this.snapshot = (await getSnapshot()) as ConsoleSnapshot;
        } catch (error) {
            this.errorMessage = (error as { body?: { message?: string } }).body?.message ?? 'Live streams could not be loaded.';
        }
    }
}
