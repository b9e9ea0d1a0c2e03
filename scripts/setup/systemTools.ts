/**
 * The programs outside npm that the tests need (Chromium, Redis, a Java runtime), found on
 * the machine or installed from Debian's packages.
 *
 * A fresh machine may lack them. Run as root on Debian (CI, a container), the missing
 * package is installed with apt-get; otherwise the error says the exact command to run,
 * and how to point at a program that is already installed elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemTool {
    /** What it is, for messages: "Chromium". */
    title: string;
    /** Executable names looked up on PATH, in order. */
    commands: string[];
    /** Debian package that provides it. */
    debianPackage: string;
    /** Environment variable naming the executable, checked first. */
    envVar?: string;
    /** Extra places to look (absolute paths). */
    candidates?: string[];
}

export const CHROMIUM: SystemTool = {
    title: 'Chromium (the end-to-end tests drive it headless)',
    commands: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
    debianPackage: 'chromium',
    envVar: 'SIGHTLINE_CHROMIUM',
    candidates: ['/usr/bin/chromium']
};

export const REDIS: SystemTool = {
    title: 'Redis (the gateway tests of its shared state start one)',
    commands: ['redis-server'],
    debianPackage: 'redis-server'
};

export const JAVA: SystemTool = {
    title: 'a Java runtime (Salesforce Code Analyzer runs PMD on it)',
    commands: ['java'],
    debianPackage: 'default-jre-headless',
    envVar: 'SIGHTLINE_JAVA',
    ...(process.env.JAVA_HOME ? { candidates: [join(process.env.JAVA_HOME, 'bin', 'java')] } : {})
};

export class MissingToolError extends Error {}

function isExecutable(path: string): boolean {
    try {
        accessSync(path, constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** The executable's path, or undefined. A set environment variable must name a program. */
export function findTool(
    tool: SystemTool,
    env: NodeJS.ProcessEnv = process.env
): string | undefined {
    const fromEnv = tool.envVar ? env[tool.envVar] : undefined;
    if (fromEnv) {
        if (isExecutable(fromEnv)) return fromEnv;
        throw new MissingToolError(
            `${tool.envVar}=${fromEnv} is not an executable program: point it at ${tool.title}, or unset it.`
        );
    }
    for (const candidate of tool.candidates ?? []) if (isExecutable(candidate)) return candidate;
    const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
    for (const command of tool.commands)
        for (const dir of dirs) if (isExecutable(join(dir, command))) return join(dir, command);
    return undefined;
}

export function installCommand(tool: SystemTool): string {
    return `sudo apt-get install -y ${tool.debianPackage}`;
}

function missingMessage(tool: SystemTool): string {
    return [
        `Missing: ${tool.title}.`,
        `Install it with:  ${installCommand(tool)}`,
        tool.envVar
            ? `or set ${tool.envVar} to one that is already installed (for example ${tool.envVar}=/usr/bin/google-chrome).`
            : ''
    ]
        .filter(Boolean)
        .join('\n');
}

const isRoot = () => process.getuid?.() === 0;

/**
 * The tool's path, installing its Debian package first when it is missing and this process
 * runs as root on a machine with apt-get. Throws MissingToolError with the exact command
 * otherwise.
 */
export function ensureTool(tool: SystemTool, log: (line: string) => void = console.log): string {
    const found = findTool(tool);
    if (found) return found;
    if (isRoot() && isExecutable('/usr/bin/apt-get')) {
        log(`Installing Debian's ${tool.debianPackage} for ${tool.title}…`);
        const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
        for (const args of [
            ['update', '-qq'],
            ['install', '-y', '-qq', tool.debianPackage]
        ]) {
            const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
            if (result.status !== 0)
                throw new MissingToolError(
                    `apt-get ${args.join(' ')} failed (exit ${result.status}).\n${missingMessage(tool)}`
                );
        }
        const installed = findTool(tool);
        if (installed) return installed;
    }
    throw new MissingToolError(missingMessage(tool));
}
