import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHROMIUM, findTool, installCommand, MissingToolError } from './systemTools';

describe('system tools', () => {
    it('finds a program on PATH', () => {
        const node = findTool(
            { title: 'Node', commands: ['node'], debianPackage: 'nodejs' },
            { PATH: process.env.PATH }
        );
        assert.ok(node?.endsWith('/node'));
    });

    it('says when SIGHTLINE_CHROMIUM names no program, instead of looking elsewhere', () => {
        assert.throws(
            () =>
                findTool(CHROMIUM, { SIGHTLINE_CHROMIUM: '/nonexistent/chrome', PATH: '/usr/bin' }),
            (error: unknown) =>
                error instanceof MissingToolError &&
                /SIGHTLINE_CHROMIUM=\/nonexistent\/chrome is not an executable/.test(error.message)
        );
    });

    it('answers undefined for a missing program, and names the Debian package to install', () => {
        const tool = { title: 'X', commands: ['sightline-no-such-tool'], debianPackage: 'x-pkg' };
        assert.equal(findTool(tool, { PATH: '/usr/bin:/bin' }), undefined);
        assert.equal(installCommand(tool), 'sudo apt-get install -y x-pkg');
    });
});
