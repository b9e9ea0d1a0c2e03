/**
 * A record's detail page in the local shell, where Lightning would show the record home:
 * every field the object describes, with lookups linking on to their records.
 */
import { LightningElement, api } from 'lwc';
import { navigateTo } from 'lightning/navigation';
import { requestJson } from 'local/transport';

interface FieldView {
    apiName: string;
    label: string;
    display: string;
    href?: string;
}

interface RecordDetail {
    objectApiName: string;
    objectLabel: string;
    title: string;
    fields: {
        apiName: string;
        label: string;
        value: unknown;
        displayValue: string | null;
        referenceId?: string;
    }[];
}

const ICONS: Record<string, string> = {
    Account: 'standard:account',
    Contact: 'standard:contact',
    Lead: 'standard:lead',
    Opportunity: 'standard:opportunity',
    User: 'standard:user'
};

const WEBSITE_VISITOR_OBJECTS = new Set(['Account', 'Opportunity', 'Contact', 'Lead']);

export default class RecordPage extends LightningElement {
    private _recordId: string | undefined;
    detail: RecordDetail | undefined;
    error: string | undefined;

    @api
    get recordId(): string | undefined {
        return this._recordId;
    }
    set recordId(value: string | undefined) {
        this._recordId = value;
        void this.load();
    }

    get iconName(): string {
        return ICONS[this.detail?.objectApiName ?? ''] ?? 'standard:record';
    }

    get objectLabel(): string {
        return this.detail?.objectLabel ?? 'Record';
    }

    get objectApiName(): string {
        return this.detail?.objectApiName ?? '';
    }

    /**
     * The package's record pages for these objects (flexipages/Sightline_*_Record_Page) put
     * "On the website now" in the sidebar; the shell lays its record page out the same way.
     */
    get showsWebsiteVisitors(): boolean {
        return WEBSITE_VISITOR_OBJECTS.has(this.objectApiName);
    }

    get recordTitle(): string {
        return this.detail?.title ?? '';
    }

    get fields(): FieldView[] {
        return (this.detail?.fields ?? []).map((f) => ({
            apiName: f.apiName,
            label: f.label,
            display:
                f.displayValue ??
                (f.value === null || f.value === undefined
                    ? ''
                    : typeof f.value === 'object'
                      ? JSON.stringify(f.value)
                      : String(f.value as string | number | boolean)),
            ...(f.referenceId ? { href: `/lightning/r/${f.referenceId}/view` } : {})
        }));
    }

    handleLinkClick(event: MouseEvent): void {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigateTo((event.currentTarget as HTMLAnchorElement).getAttribute('href') ?? '/');
    }

    private async load(): Promise<void> {
        if (!this._recordId) return;
        try {
            this.detail = await requestJson<RecordDetail>(
                'GET',
                `/local/records/${encodeURIComponent(this._recordId)}`
            );
            this.error = undefined;
        } catch (e) {
            this.error =
                (e as { body?: { message?: string } }).body?.message ??
                'This record could not be loaded.';
        }
    }
}
