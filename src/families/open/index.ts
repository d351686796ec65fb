import type { FamilyModule } from '../family.js';
import { alipayCertDownload } from './alipaycert-download.js';
import { authTokenApp } from './token-app.js';

/** The open platform's own methods (authorisation, certificates): no verification sessions, no adapter. */
export const open: FamilyModule = { methods: [authTokenApp, alipayCertDownload] };
