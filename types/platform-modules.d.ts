/**
 * Types for the platform modules our LWCs import that `@salesforce/lightning-types` does
 * not cover yet. They follow the documented contracts; the local shell's stand-ins
 * implement the same ones.
 */
declare module '@salesforce/apex/*' {
    type ApexMethod = ((params?: Record<string, unknown>) => Promise<unknown>) & {
        adapter?: unknown;
    };
    const method: ApexMethod;
    export default method;
}

declare module '@salesforce/apex' {
    export function refreshApex(wiredValue: unknown): Promise<void>;
    export function getSObjectValue(record: Record<string, unknown>, field: unknown): unknown;
}

declare module '@salesforce/schema/*' {
    const reference: { objectApiName: string; fieldApiName?: string };
    export default reference;
}

declare module '@salesforce/resourceUrl/*' {
    const url: string;
    export default url;
}

declare module 'lightning/empApi' {
    export interface EmpMessage {
        channel: string;
        data: {
            schema: string;
            payload: Record<string, unknown>;
            event: { replayId: number; EventUuid: string };
        };
    }
    export interface Subscription {
        id?: string;
        channel: string;
        replayId: number;
    }
    export function subscribe(
        channel: string,
        replayId: number,
        onMessage: (message: EmpMessage) => void
    ): Promise<Subscription>;
    export function unsubscribe(
        subscription: Subscription,
        callback?: (response: unknown) => void
    ): Promise<boolean>;
    export function onError(callback: (error: unknown) => void): void;
    export function setDebugFlag(flag: boolean): void;
    export function isEmpEnabled(): Promise<boolean>;
}

declare module 'lightning/uiRecordApi' {
    type FieldId = string | { objectApiName: string; fieldApiName?: string };
    export interface FieldValueRepresentation {
        value: unknown;
        displayValue: string | null;
    }
    export interface RecordRepresentation {
        apiName: string;
        id: string;
        fields: Record<string, FieldValueRepresentation>;
        lastModifiedDate?: string;
    }
    export interface RecordInput {
        apiName?: string;
        fields: Record<string, unknown>;
    }
    export const getRecord: unknown;
    export function createRecord(recordInput: RecordInput): Promise<RecordRepresentation>;
    export function updateRecord(
        recordInput: RecordInput,
        clientOptions?: { ifUnmodifiedSince?: string }
    ): Promise<RecordRepresentation>;
    export function deleteRecord(recordId: string): Promise<void>;
    export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void>;
    export function getFieldValue(
        record: RecordRepresentation | undefined,
        field: FieldId
    ): unknown;
    export function getFieldDisplayValue(
        record: RecordRepresentation | undefined,
        field: FieldId
    ): string | null | undefined;
}

declare module 'lightning/navigation' {
    export interface PageReference {
        type: string;
        attributes?: Record<string, string | undefined>;
        state?: Record<string, string | undefined>;
    }
    type Constructor<T = object> = new (...args: any[]) => T;
    interface NavigationMixinStatic {
        <T extends Constructor>(base: T): T;
        readonly Navigate: unique symbol;
        readonly GenerateUrl: unique symbol;
    }
    export const NavigationMixin: NavigationMixinStatic;
    export const CurrentPageReference: unknown;
}

declare module 'lightning/platformShowToastEvent' {
    export interface ToastDetail {
        title?: string;
        message?: string;
        messageData?: (string | { url: string; label: string })[];
        variant?: 'info' | 'success' | 'warning' | 'error';
        mode?: 'dismissible' | 'pester' | 'sticky';
    }
    export class ShowToastEvent extends CustomEvent<ToastDetail> {
        constructor(detail: ToastDetail);
    }
}
