import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newChat, sendChat, type Chat } from './livechat';
import { server } from './server';

// Every main screen in dark mode (and light), screenshotted and checked by axe-core against the
// WCAG 2 A and AA rules: no serious or critical violation anywhere. The counts per screen and
// impact are written to artifacts/axe-<scheme>.json for the record. Named ui-* so that it runs
// after inbox.spec.ts, whose first test needs an empty store.
const artifacts = join(import.meta.dirname, 'artifacts');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Screen {
  name: string;
  open(page: Page, chat: Chat): Promise<void>;
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

const screens: Screen[] = [
  {
    name: 'inbox',
    open: async (page) => {
      await nav(page, 'Inbox');
      await expect(page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option').first()).toBeVisible();
    },
  },
  {
    name: 'delivery',
    open: async (page, chat) => {
      await nav(page, 'Inbox');
      await page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option').filter({ hasText: chat.id }).first().click();
      await expect(page.getByRole('region', { name: 'Delivery detail' }).getByRole('tree', { name: 'Body fields' })).toBeVisible();
    },
  },
  {
    name: 'conversations',
    open: async (page, chat) => {
      await nav(page, 'Conversations');
      await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: chat.id }).click();
      await expect(page.getByRole('listbox', { name: 'Conversation timeline' }).getByRole('option').first()).toBeVisible();
    },
  },
  {
    name: 'agents',
    open: async (page, chat) => {
      await nav(page, 'Agents');
      await page.getByRole('listbox', { name: 'Agents' }).getByRole('option').filter({ hasText: chat.agent }).click();
      await expect(page.getByRole('listbox', { name: 'Agent timeline' }).getByRole('option').first()).toBeVisible();
    },
  },
  {
    name: 'tunnel',
    open: async (page) => {
      await nav(page, 'Tunnel');
      await expect(page.getByRole('heading').first()).toBeVisible();
    },
  },
  {
    name: 'settings',
    open: async (page) => {
      await nav(page, 'Settings');
      await expect(page.getByRole('heading').first()).toBeVisible();
    },
  },
  {
    name: 'catalog',
    open: async (page) => {
      await nav(page, 'Catalog');
      await page.getByRole('navigation', { name: 'Event types' }).getByRole('button', { name: 'incoming_chat' }).click();
      await expect(page.getByRole('table', { name: 'Fields of incoming_chat' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Copy TypeScript' })).toBeEnabled();
    },
  },
];

for (const scheme of ['dark', 'light'] as const) {
  test.describe(`${scheme} mode`, () => {
    const chat = newChat();
    const record = (screen: string, byImpact: Record<string, number>) => {
      const file = join(artifacts, `axe-${scheme}.json`);
      const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
      writeFileSync(file, JSON.stringify({ ...all, [screen]: byImpact }, null, 2));
    };

    test.beforeAll(async () => {
      await sendChat(chat);
      mkdirSync(artifacts, { recursive: true });
    });

    for (const s of screens) {
      test(`${s.name} has no serious or critical axe violation (${scheme})`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.goto(server().ui);
        await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
        // The theme follows the system unless one was chosen: check the page really is in this scheme.
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
        const light = (r + g + b) / 3 > 128;
        expect(light, `body background ${bg} in ${scheme} mode`).toBe(scheme === 'light');

        await s.open(page, chat);
        await page.screenshot({ path: join(artifacts, `${scheme}-${s.name}.png`) });
        const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        const byImpact: Record<string, number> = {};
        for (const v of result.violations) {
          const k = v.impact ?? 'unknown';
          byImpact[k] = (byImpact[k] ?? 0) + v.nodes.length;
        }
        record(s.name, byImpact);
        const bad = result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `  ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`).join('\n')}`);
        expect(bad, `axe violations on ${s.name} (${scheme})`).toEqual([]);
      });
    }
  });
}
