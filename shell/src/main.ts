/** Boots the local Lightning shell: synthetic shadow (as Lightning Experience uses) and the app. */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'shell/app';

const app = createElement('shell-app', { is: App });
document.getElementById('root')!.appendChild(app);
