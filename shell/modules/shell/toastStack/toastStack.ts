/**
 * Shows the toasts that components raise with ShowToastEvent, as Lightning Experience does:
 * `{0}` placeholders in the message are filled from messageData (text or links).
 */
import { LightningElement, api, track } from 'lwc';

interface ToastDetail {
    title?: string;
    message?: string;
    messageData?: (string | { url: string; label: string })[];
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
}

const ICONS = {
    info: 'utility:info',
    success: 'utility:success',
    warning: 'utility:warning',
    error: 'utility:error'
};
let nextId = 1;

export default class ToastStack extends LightningElement {
    @track toasts: {
        id: string;
        title: string;
        variant: string;
        icon: string;
        className: string;
        parts: { key: string; text: string; url?: string }[];
    }[] = [];

    @api
    show(detail: ToastDetail): void {
        const variant = detail.variant ?? 'info';
        const id = `toast-${nextId++}`;
        this.toasts = [
            ...this.toasts,
            {
                id,
                title: detail.title ?? '',
                variant,
                icon: ICONS[variant],
                className: `slds-notify slds-notify_toast slds-theme_${variant}`,
                parts: fillMessage(detail.message ?? '', detail.messageData ?? [])
            }
        ];
        if (detail.mode !== 'sticky') {
            setTimeout(() => this.dismiss(id), detail.mode === 'pester' ? 3000 : 8000);
        }
    }

    handleClose(event: Event): void {
        this.dismiss((event.currentTarget as HTMLElement).dataset.toastId ?? '');
    }

    private dismiss(id: string): void {
        this.toasts = this.toasts.filter((t) => t.id !== id);
    }
}

function fillMessage(message: string, data: ToastDetail['messageData'] & object) {
    return message
        .split(/(\{\d+\})/)
        .filter(Boolean)
        .map((text, i) => {
            const index = /^\{(\d+)\}$/.exec(text)?.[1];
            const value = index === undefined ? undefined : data[Number(index)];
            if (value === undefined) return { key: String(i), text };
            return typeof value === 'string'
                ? { key: String(i), text: value }
                : { key: String(i), text: value.label, url: value.url };
        });
}
