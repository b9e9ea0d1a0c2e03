/**
 * The local Lightning shell: global header, the Sightline app's navigation bar, a user
 * menu to sign in as any demo user, and the page for the current route. It stands in for
 * Lightning Experience and is never deployed.
 */
import { LightningElement, wire } from 'lwc';
import { CurrentPageReference, navigateTo, type PageReference } from 'lightning/navigation';
import { requestJson } from 'local/transport';

interface SessionUser {
    id: string;
    name: string;
    title: string;
    isAdmin: boolean;
}

interface Session {
    user: SessionUser;
    users: SessionUser[];
}

interface Tab {
    apiName: string;
    label: string;
    adminOnly?: boolean;
}

const TABS: Tab[] = [
    { apiName: 'Sightline_Console', label: 'Live Streams' },
    { apiName: 'Sightline_Setup', label: 'Sightline Setup', adminOnly: true },
    { apiName: 'Website_Visitor__c', label: 'Website Visitors' },
    { apiName: 'Lead', label: 'Leads' },
    { apiName: 'Account', label: 'Accounts' }
];

export default class App extends LightningElement {
    session: Session | undefined;
    sessionError: string | undefined;
    pageRef: PageReference = {
        type: 'standard__navItemPage',
        attributes: { apiName: 'Sightline_Console' }
    };

    @wire(CurrentPageReference)
    setPageReference(pageRef: PageReference): void {
        this.pageRef = pageRef;
    }

    async connectedCallback(): Promise<void> {
        try {
            this.session = await requestJson<Session>('GET', '/local/session');
        } catch (error) {
            this.sessionError = 'The local gateway is not answering. Is `npm start` running?';
            console.error(error);
        }
    }

    get currentUserLabel(): string {
        return this.session ? `${this.session.user.name} · ${this.session.user.title}` : 'Loading…';
    }

    get userMenuLabel(): string {
        return this.session ? `User menu: signed in as ${this.session.user.name}` : 'User menu';
    }

    get switchableUsers() {
        const current = this.session?.user.id;
        return (this.session?.users ?? [])
            .filter((u) => u.id !== current)
            .map((u) => ({
                id: u.id,
                label: `${u.name} · ${u.title}`,
                icon: u.isAdmin ? 'utility:settings' : 'utility:user'
            }));
    }

    get tabs() {
        const current = this.currentApiName;
        return TABS.filter((t) => !t.adminOnly || this.session?.user.isAdmin).map((t) => ({
            ...t,
            href: `/lightning/n/${t.apiName}`,
            className: `slds-context-bar__item${t.apiName === current ? ' slds-is-active' : ''}`,
            ariaCurrent: t.apiName === current ? 'page' : undefined
        }));
    }

    get currentApiName(): string | undefined {
        return this.pageRef.type === 'standard__navItemPage'
            ? this.pageRef.attributes?.apiName
            : undefined;
    }

    get isConsole(): boolean {
        return this.currentApiName === 'Sightline_Console';
    }

    get isSetup(): boolean {
        return this.currentApiName === 'Sightline_Setup';
    }

    get isRecordPage(): boolean {
        return this.pageRef.type === 'standard__recordPage';
    }

    get recordId(): string | undefined {
        return this.pageRef.attributes?.recordId;
    }

    get pageLabel(): string {
        return TABS.find((t) => t.apiName === this.currentApiName)?.label ?? 'This';
    }

    async handleUserSelect(event: CustomEvent<{ value: string }>): Promise<void> {
        const userId = event.detail.value;
        if (!userId) return;
        await requestJson('POST', '/local/session', { userId });
        // A new user is a new session, as after logging in again.
        window.location.reload();
    }

    /** Tabs switch pages without a reload, as in Lightning Experience; modified clicks open a new tab. */
    handleTabClick(event: MouseEvent): void {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigateTo((event.currentTarget as HTMLAnchorElement).getAttribute('href') ?? '/');
    }

    handleToast(event: CustomEvent): void {
        event.stopPropagation();
        (this.refs?.toasts as unknown as { show(detail: unknown): void } | undefined)?.show(
            event.detail
        );
    }
}
