import { gradientPng } from './fixtures/images';
import { expect, test } from './fixtures/test';

test('a preset is named in an inline field, not a browser prompt, and can be chosen again', async ({
  editor,
  page,
}) => {
  const prompts: string[] = [];
  page.on('dialog', (dialog) => {
    prompts.push(dialog.message());
    void dialog.dismiss();
  });
  await editor.open(
    { name: 'gradient.png', mimeType: 'image/png', buffer: await gradientPng(24, 16) },
    { width: 24, height: 16 },
  );
  await editor.chooseOperation('Upscale');
  const save = editor.controls.getByRole('button', { name: 'Save preset', exact: true });
  await save.click();
  const field = editor.controls
    .getByRole('form', { name: 'Name the preset' })
    .getByRole('textbox', { name: 'Preset name' });
  await expect(field).toBeVisible();
  await expect(field).toBeFocused();
  expect(prompts).toEqual([]);

  // Esc leaves without saving, focus back on the button.
  await page.keyboard.press('Escape');
  await expect(field).toBeHidden();
  await expect(save).toBeFocused();

  await save.click();
  await field.fill('Crisp ×2');
  await page.keyboard.press('Enter');
  await expect(field).toBeHidden();
  const preset = editor.controls.getByRole('combobox', { name: 'Preset', exact: true });
  await expect(preset.getByRole('option', { name: 'Crisp ×2' })).toHaveCount(1);
  await expect(preset).toHaveValue('Crisp ×2');
  expect(prompts).toEqual([]);
});
