import { forwardRef, useImperativeHandle, useRef, useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type FileInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>;

/**
 * A file field whose button and "no file" text are the app's own words (« Choisir un fichier »), not the
 * browser's (« Choose File » on an English system). The native input stays in place, visually hidden: it
 * keeps the label, the keyboard focus and the screen reader's announcement; the face beside it is drawn.
 */
export const FileInput = forwardRef<HTMLInputElement, FileInputProps>(function FileInput({ className, onChange, ...rest }, ref) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => input.current!);
  const [name, setName] = useState<string | null>(null);
  return (
    <div className={['file-picker', className ?? ''].filter(Boolean).join(' ')}>
      <input
        {...rest}
        ref={input}
        type="file"
        className="file-picker-native"
        onChange={(e) => {
          setName(e.target.files?.[0]?.name ?? null);
          onChange?.(e);
        }}
      />
      <span className="file-picker-face" aria-hidden="true" onClick={() => !rest.disabled && input.current?.click()}>
        <span className="file-picker-button">{t('fileInput.choose')}</span>
        <span className="file-picker-name">{name ?? t('fileInput.none')}</span>
      </span>
    </div>
  );
});
