/**
 * Drives `lightning-combobox` as a user does: open it, click the option. Locators pierce the
 * shell's shadow roots, so `combobox` is the `lightning-combobox` element itself.
 */
import type { Locator } from 'playwright-core';

const trigger = (combobox: Locator): Locator => combobox.locator('[role="combobox"]');

/** Picks the option with this value, or the one whose visible label is `{ label }`. */
export async function chooseOption(
    combobox: Locator,
    option: string | { label: string }
): Promise<void> {
    await trigger(combobox).click();
    const listbox = combobox.getByRole('listbox');
    const choice =
        typeof option === 'string'
            ? listbox.locator(`[role="option"][data-value="${option}"]`)
            : listbox.getByRole('option', { name: option.label, exact: true });
    await choice.click();
    await listbox.waitFor({ state: 'hidden' });
}

/** The selected option's value ('' when none is). */
export function selectedValue(combobox: Locator): Promise<string> {
    return combobox.evaluate((element) => (element as { value?: string }).value ?? '');
}

export function isComboboxDisabled(combobox: Locator): Promise<boolean> {
    return trigger(combobox).isDisabled();
}
