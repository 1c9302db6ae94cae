import { expect, test } from './fixtures/test';
import { PromptPanel } from './pages/prompt-panel';

/**
 * Issue #14: with no LOUPE_DIFFUSION_DIR the prompt ops say what to configure, with the guide,
 * and offer no control that could only fail; erase (no model) stays available.
 */
test('with no diffusion folder configured, the prompt panel says what to do instead', async ({
  editor,
  page,
}) => {
  const panel = new PromptPanel(page, editor);
  await panel.startFromNothing();
  await expect(panel.noModels).toContainText('No diffusion model is configured');
  await expect(panel.noModels).toContainText('LOUPE_DIFFUSION_DIR');
  await expect(panel.noModels).toContainText('Erase object needs no model');
  await panel.noModels.getByText('How to add a model').click();
  await expect(panel.noModels).toContainText('optimum-cli export onnx');
  // No dead controls: no prompt to type into, no model to pick, and Run stays off.
  await expect(panel.prompt).toHaveCount(0);
  await expect(panel.models).toHaveCount(0);
  await expect(editor.runButton).toBeDisabled();
  for (const op of ['Image to image', 'Instruction edit', 'Inpaint', 'Erase object'])
    await expect(editor.controls.getByRole('radio', { name: op, exact: true })).toBeVisible();
});
