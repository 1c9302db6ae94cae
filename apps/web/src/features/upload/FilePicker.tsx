import { forwardRef, useImperativeHandle, useRef } from 'react';
import { openFiles } from './open-files';
import { FILE_PICKER_ACCEPT } from './upload-checks';

export interface FilePickerHandle {
  open(): void;
}

/** The hidden file input behind every "Open image" button and Ctrl+O. */
export const FilePicker = forwardRef<FilePickerHandle>(function FilePicker(_props, ref) {
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({ open: () => input.current?.click() }));
  return (
    <input
      ref={input}
      type="file"
      multiple
      accept={FILE_PICKER_ACCEPT}
      aria-label="Choose image files"
      className="sr-only"
      tabIndex={-1}
      onChange={(e) => {
        const files = Array.from(e.currentTarget.files ?? []);
        e.currentTarget.value = '';
        void openFiles(files);
      }}
    />
  );
});
