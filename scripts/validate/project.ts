/**
 * Where things live in a Salesforce DX project, and which files the platform gets.
 * Every check takes the project root, so the tests can point them at a fixture copy.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export function forceAppDefault(root: string): string {
    return join(root, 'force-app', 'main', 'default');
}

export function lwcDir(root: string): string {
    return join(forceAppDefault(root), 'lwc');
}

export function lwcTsconfig(root: string): string {
    return join(lwcDir(root), 'tsconfig.json');
}

export function classesDir(root: string): string {
    return join(forceAppDefault(root), 'classes');
}

export interface Bundle {
    name: string;
    dir: string;
    /** Every file of the bundle (recursively, `__tests__` excluded), absolute. */
    files: string[];
}

/** The LWC bundles: every folder under lwc/ except `__tests__`, dot folders and jsconfig/tsconfig files. */
export function listBundles(root: string): Bundle[] {
    const dir = lwcDir(root);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter(
            (name) =>
                !name.startsWith('.') &&
                !name.startsWith('__') &&
                statSync(join(dir, name)).isDirectory()
        )
        .sort()
        .map((name) => ({ name, dir: join(dir, name), files: walk(join(dir, name)) }));
}

function walk(dir: string): string[] {
    const out: string[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === '__tests__' || entry.name === 'node_modules') continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) out.push(...walk(path));
        else out.push(path);
    }
    return out.sort();
}

/** A TypeScript source of a bundle (not a declaration file, not a test). */
export function isTsSource(path: string): boolean {
    return path.endsWith('.ts') && !path.endsWith('.d.ts') && !/\.(test|spec)\.ts$/.test(path);
}

interface ForceIgnoreLike {
    denies(path: string): boolean;
}

/**
 * The project's `.forceignore`, read by Salesforce's own library (the one the CLI uses),
 * so the files we validate are exactly the files a deploy would send.
 */
export function forceIgnoreOf(root: string): ForceIgnoreLike {
    const { ForceIgnore } = require('@salesforce/source-deploy-retrieve') as {
        ForceIgnore: { new (path?: string): ForceIgnoreLike };
    };
    const file = join(root, '.forceignore');
    return existsSync(file) ? new ForceIgnore(file) : new ForceIgnore();
}
