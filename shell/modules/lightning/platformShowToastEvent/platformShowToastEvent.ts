/**
 * Stand-in for `lightning/platformShowToastEvent`: the same event the platform listens for
 * (`lightning__showtoast`, bubbling and composed); the local shell shows the toast.
 */
export interface ToastDetail {
    title?: string;
    message?: string;
    messageData?: (string | { url: string; label: string })[];
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
}

export class ShowToastEvent extends CustomEvent<ToastDetail> {
    constructor(detail: ToastDetail) {
        super('lightning__showtoast', { detail, bubbles: true, composed: true, cancelable: true });
    }
}
