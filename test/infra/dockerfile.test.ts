// infra/docker/Dockerfile checked statically (no Docker engine here): dockerfile-utils' linter plus the
// hadolint rules that matter for this image, and what the image must and must not contain.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const content = readFileSync(`${root}infra/docker/Dockerfile`, 'utf8');
const dockerfile = DockerfileParser.parse(content);
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  engines: { node: string };
  workspaces: string[];
  devDependencies: Record<string, string>;
};

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

/** The stages, each with its base image (ARG defaults substituted) and its instructions. */
const stages: Stage[] = dockerfile.getFROMs().map((from, i, froms) => {
  const start = from.getRange().start.line;
  const end = froms[i + 1]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
  const image = (from.getImage() ?? '').replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const arg = dockerfile.getInitialARGs().find((a) => a.getProperty()?.getName() === name);
    return arg?.getProperty()?.getValue() ?? '';
  });
  return {
    name: from.getBuildStage(),
    image,
    instructions: dockerfile.getInstructions().filter((ins) => {
      const line = ins.getRange().start.line;
      return line > start && line < end;
    }),
  };
});
const final = stages.at(-1)!;
const args = (ins: Instruction) => ins.getArgumentsContent() ?? '';
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.getKeyword() === keyword);

describe('infra/docker/Dockerfile', () => {
  it('has no problem dockerfile-utils reports', () => {
    expect(validate(content).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds every stage on one pinned Node LTS image (Node 22 or 24, full version, no latest)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.image).toMatch(/^node:(22|24)\.\d+\.\d+(-[a-z0-9-]+)?(@sha256:[0-9a-f]{64})?$/);
    }
    // The code itself still supports the oldest Node the project tests on.
    expect(pkg.engines.node).toBe('>=20.19');
  });

  it('runs as an unprivileged user (hadolint DL3002)', () => {
    const users = of(final, 'USER').map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('uses absolute WORKDIRs (DL3000) and exec-form CMD and HEALTHCHECK', () => {
    for (const w of dockerfile.getInstructions().filter((i) => i.getKeyword() === 'WORKDIR'))
      expect(args(w)).toMatch(/^\//);
    const cmd = of(final, 'CMD').at(-1);
    expect(JSON.parse(args(cmd!))).toEqual(['node', 'services/api/dist/main.js']);
    const healthcheck = args(of(final, 'HEALTHCHECK').at(-1)!);
    expect(healthcheck).toMatch(/CMD \[.*"infra\/docker\/healthcheck\.mjs"/);
  });

  it('installs with npm ci from the lockfile, never npm install (DL3016)', () => {
    const runs = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'RUN')
      .map(args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    for (const r of runs) expect(r).not.toMatch(/\bnpm (install|i)\b/);
  });

  it('ships the compiled output and production dependencies only', () => {
    // The final stage copies from an earlier stage, never the build context or a dev install.
    const copies = of(final, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    const from = copies.map((c) => (c as Copy).getFromFlag()?.getValue());
    for (const f of from) expect(f).toMatch(/^\w+$/);
    const source = stages.find((s) => s.name === from.at(-1))!;
    const install = of(source, 'RUN').map(args).join('\n');
    expect(install).toMatch(/npm ci --omit=dev\b/);
    // Nothing in the final stage runs TypeScript.
    for (const ins of final.instructions) expect(args(ins)).not.toMatch(/\btsx\b|src\/main\.ts/);
  });

  it('declares no build or test tool as a production dependency of any workspace', () => {
    const tools = Object.keys(pkg.devDependencies);
    const dirs = pkg.workspaces.flatMap((w) =>
      w.endsWith('/*')
        ? readdirSync(`${root}${w.slice(0, -2)}`).map((name) => `${w.slice(0, -2)}/${name}`)
        : [w],
    );
    expect(dirs.length).toBeGreaterThan(10);
    for (const dir of dirs) {
      const manifest = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const deps = Object.keys(manifest.dependencies ?? {});
      expect(
        deps.filter((d) => tools.includes(d)),
        dir,
      ).toEqual([]);
    }
  });
});
