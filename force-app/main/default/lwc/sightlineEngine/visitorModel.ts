/**
 * The visitor snapshot: everything a stream, routing rule or score may read.
 * The gateway builds it from the live session and the Salesforce matches; any piece
 * it does not know yet is simply absent. All times are epoch milliseconds.
 */

export type IdentityLevel = 'anonymous' | 'company' | 'person';

export interface VisitorIdentity {
    level: IdentityLevel;
    visitorId: string;
    email?: string;
    name?: string;
}

export interface VisitorCompany {
    domain?: string;
    name?: string;
    industry?: string;
    employees?: number;
    revenueBand?: string;
    country?: string;
}

export interface VisitorLocation {
    country?: string;
    countryCode?: string;
    region?: string;
    city?: string;
    lat?: number;
    lon?: number;
    timeZone?: string;
}

export interface AccountTeamMember {
    userId: string;
    role: string;
}

export interface MatchedAccount {
    id: string;
    name?: string;
    ownerId?: string;
    ownerName?: string;
    targetAccount?: boolean;
    team?: AccountTeamMember[];
}

export interface MatchedOpportunity {
    id: string;
    name?: string;
    stage?: string;
    amount?: number;
    ownerId?: string;
    ownerName?: string;
    isClosed: boolean;
}

export interface MatchedLead {
    id: string;
    /** The record's Name in the org (not what the visitor typed). */
    name?: string;
    ownerId?: string;
    ownerName?: string;
    status?: string;
}

export interface MatchedContact {
    id: string;
    /** The record's Name in the org (not what the visitor typed). */
    name?: string;
    ownerId?: string;
    ownerName?: string;
}

export interface SalesforceMatches {
    account?: MatchedAccount;
    opportunities?: MatchedOpportunity[];
    lead?: MatchedLead;
    contact?: MatchedContact;
}

export interface VisitedPage {
    url: string;
    path: string;
    title?: string;
    enteredAt: number;
    dwellMs?: number;
    /** How far down the page the visitor scrolled, 0..1. */
    scrollDepth?: number;
}

export interface Utm {
    source?: string;
    medium?: string;
    campaign?: string;
    term?: string;
    content?: string;
}

export interface VisitActivity {
    /** Pages of this visit, oldest first; the last one is usually the current page. */
    pages: VisitedPage[];
    currentPage?: VisitedPage;
    referrer?: string;
    utm?: Utm;
    pageCount?: number;
    timeOnSiteMs?: number;
    returning?: boolean;
    visitCount?: number;
    startedAt?: number;
}

export interface VisitorBehaviour {
    active: boolean;
    /** When the visitor went idle (epoch ms); absent while active. */
    idleSinceMs?: number;
    tabsOpen?: number;
    formSubmitted?: boolean;
    chatRequested?: boolean;
    chatRequestedAt?: number;
    botEngaged?: boolean;
}

export type DeviceType = 'desktop' | 'mobile' | 'tablet';

export interface VisitorDevice {
    type?: DeviceType;
    browser?: string;
    os?: string;
}

export interface Visitor {
    identity: VisitorIdentity;
    company?: VisitorCompany;
    location?: VisitorLocation;
    salesforce?: SalesforceMatches;
    visit?: VisitActivity;
    behaviour?: VisitorBehaviour;
    device?: VisitorDevice;
}
